import { defineContentScript } from 'wxt/utils/define-content-script';
import '../src/page/highlight.css';
import { startPage } from '../src/page/page-main';
import { toutiao } from '../src/sites/toutiao';

export default defineContentScript({
  matches: [...toutiao.matches],
  runAt: 'document_idle',
  main: (ctx) => startPage(ctx, toutiao),
});
