import { defineContentScript } from 'wxt/utils/define-content-script';
import '../src/page/highlight.css';
import { startPage } from '../src/page/page-main';
import { zhihu } from '../src/sites/zhihu';

export default defineContentScript({
  matches: [...zhihu.matches],
  runAt: 'document_idle',
  main: (ctx) => startPage(ctx, zhihu),
});
