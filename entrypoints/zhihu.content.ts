import { defineContentScript } from 'wxt/utils/define-content-script';
import { startPage } from '../src/page/page-main';
import { platformMatches } from '../src/sites/platforms';

export default defineContentScript({
  matches: platformMatches('zhihu'),
  runAt: 'document_idle',
  main: (ctx) => startPage(ctx, 'zhihu'),
});
