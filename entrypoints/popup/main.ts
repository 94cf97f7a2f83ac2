import '../../src/platform/zod-jitless';
import { renderPopup } from '../../src/ui/popup';

void renderPopup(document.getElementById('app')!);
