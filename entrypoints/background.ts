import '../src/platform/zod-jitless';
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../src/platform/background-main';

export default defineBackground({ type: 'module', main: startBackground });
