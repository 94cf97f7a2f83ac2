import { defineContentScript } from 'wxt/utils/define-content-script';
import '../src/page/highlight.css';
import { startPage } from '../src/page/page-main';
import { weibo } from '../src/sites/weibo';

export default defineContentScript({
  matches: [...weibo.matches],
  runAt: 'document_idle',
  main: (ctx) => startPage(ctx, weibo),
});
