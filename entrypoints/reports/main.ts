import { renderReports } from '../../src/ui/reports';

void renderReports(document.getElementById('app')!);
