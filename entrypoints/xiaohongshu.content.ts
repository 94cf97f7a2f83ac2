import '../src/platform/zod-jitless';
import { defineContentScript } from 'wxt/utils/define-content-script';
import '../src/page/highlight.css';
import { startPage } from '../src/page/page-main';
import { xiaohongshu } from '../src/sites/xiaohongshu';

export default defineContentScript({
  matches: [...xiaohongshu.matches],
  runAt: 'document_idle',
  // The scan keeps its own lifecycle (page-main.ts): WXT's page-visible events never steer it.
  noScriptStartedPostMessage: true,
  main: () => startPage(xiaohongshu),
});
