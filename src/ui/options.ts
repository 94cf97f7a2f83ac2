/**
 * Options: which list is active, importing a list file (for T&S teams without a feed), and going
 * back to the shipped default. An invalid file shows the schema's error and changes nothing.
 */
import { sendMessage } from '../platform/messages';

export async function renderOptions(root: HTMLElement): Promise<void> {
  const info = await sendMessage('getListInfo', {});
  const h1 = document.createElement('h1');
  h1.textContent = 'LeadGuard 设置';
  const h2 = document.createElement('h2');
  h2.textContent = '名单';
  const dl = document.createElement('dl');
  dl.id = 'list-info';
  const rows: [string, string][] = [
    ['名单', info.name ?? info.id],
    ['版本', String(info.version)],
    ['条目', String(info.entries)],
    ['来源', info.isDefault ? '内置默认名单' : '已导入'],
  ];
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  const status = document.createElement('p');
  status.id = 'status';
  status.setAttribute('role', 'status');
  const label = document.createElement('label');
  label.textContent = '导入名单（JSON 文件）：';
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = 'application/json,.json';
  input.id = 'import-list';
  label.append(input);
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    try {
      const list: unknown = JSON.parse(await file.text());
      const { key } = await sendMessage('importList', { list });
      await renderOptions(root);
      show(root, `已启用 ${key}`, 'ok');
    } catch (error) {
      show(root, `导入失败：${(error as Error).message}`, 'error');
    }
  });
  const reset = document.createElement('button');
  reset.type = 'button';
  reset.id = 'reset-list';
  reset.textContent = '恢复内置名单';
  reset.disabled = info.isDefault;
  reset.addEventListener('click', async () => {
    const { key } = await sendMessage('resetList', {});
    await renderOptions(root);
    show(root, `已启用 ${key}`, 'ok');
  });
  root.replaceChildren(h1, h2, dl, label, reset, status);
}

function show(root: HTMLElement, text: string, kind: 'ok' | 'error'): void {
  const status = root.querySelector<HTMLElement>('#status');
  if (!status) return;
  status.textContent = text;
  status.className = kind;
}
