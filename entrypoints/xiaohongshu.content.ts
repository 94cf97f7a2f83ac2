import { defineContentScript } from 'wxt/utils/define-content-script';
import '../src/page/highlight.css';
import { startPage } from '../src/page/page-main';
import { xiaohongshu } from '../src/sites/xiaohongshu';

export default defineContentScript({
  matches: [...xiaohongshu.matches],
  runAt: 'document_idle',
  main: (ctx) => startPage(ctx, xiaohongshu),
});
