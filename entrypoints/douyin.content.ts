import { defineContentScript } from 'wxt/utils/define-content-script';
import '../src/page/highlight.css';
import { startPage } from '../src/page/page-main';
import { douyin } from '../src/sites/douyin';

export default defineContentScript({
  matches: [...douyin.matches],
  runAt: 'document_idle',
  main: (ctx) => startPage(ctx, douyin),
});
