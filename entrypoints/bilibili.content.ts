import { defineContentScript } from 'wxt/utils/define-content-script';
import '../src/page/highlight.css';
import { startPage } from '../src/page/page-main';
import { bilibili } from '../src/sites/bilibili';

export default defineContentScript({
  matches: [...bilibili.matches],
  runAt: 'document_idle',
  main: (ctx) => startPage(ctx, bilibili),
});
