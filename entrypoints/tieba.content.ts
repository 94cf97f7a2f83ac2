import { defineContentScript } from 'wxt/utils/define-content-script';
import '../src/page/highlight.css';
import { startPage } from '../src/page/page-main';
import { tieba } from '../src/sites/tieba';

export default defineContentScript({
  matches: [...tieba.matches],
  runAt: 'document_idle',
  main: (ctx) => startPage(ctx, tieba),
});
