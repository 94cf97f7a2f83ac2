import '../../src/platform/zod-jitless';
import { renderOptions } from '../../src/ui/options';

void renderOptions(document.getElementById('app')!);
