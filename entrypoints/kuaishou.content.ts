import { defineContentScript } from 'wxt/utils/define-content-script';
import '../src/page/highlight.css';
import { startPage } from '../src/page/page-main';
import { kuaishou } from '../src/sites/kuaishou';

export default defineContentScript({
  matches: [...kuaishou.matches],
  runAt: 'document_idle',
  main: (ctx) => startPage(ctx, kuaishou),
});
