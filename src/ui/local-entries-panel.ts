/**
 * The options page's "我的条目": the user's own entries, merged into whatever list is active (and
 * first, so they win an id). Added as list entries in JSON, one object or an array, validated by
 * the list schema in the background; a bad entry is refused with the reason and changes nothing.
 */
import { sendMessage } from '../platform/messages';

export async function renderLocalEntries(
  root: HTMLElement,
  onListChange: () => Promise<void>,
): Promise<void> {
  const entries = await sendMessage('getLocalEntries', {});
  const doc = root.ownerDocument;
  const h2 = doc.createElement('h2');
  h2.textContent = '我的条目';
  const list = doc.createElement('ul');
  list.id = 'local-entries';
  for (const entry of entries) {
    const li = doc.createElement('li');
    li.dataset.id = entry.id;
    const code = doc.createElement('code');
    code.textContent = entry.id;
    const remove = doc.createElement('button');
    remove.type = 'button';
    remove.textContent = '删除';
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      await sendMessage('removeLocalEntries', { ids: [entry.id] });
      await onListChange();
    });
    li.append(code, ` ${entry.kind} ${entry.summary} `, remove);
    list.append(li);
  }
  const input = doc.createElement('textarea');
  input.id = 'local-entry-json';
  input.rows = 3;
  input.placeholder =
    '{"kind":"account","id":"mine.1","platform":"douyin","platformId":"…","category":"代理退保","provenance":{"source":"me","addedAt":"2026-11-24"}}';
  const add = doc.createElement('button');
  add.type = 'button';
  add.id = 'add-local-entry';
  add.textContent = '添加条目';
  const message = doc.createElement('p');
  message.id = 'local-message';
  message.setAttribute('role', 'status');
  add.addEventListener('click', async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.value);
    } catch (error) {
      message.textContent = `不是 JSON：${(error as Error).message}`;
      message.className = 'error';
      return;
    }
    add.disabled = true;
    try {
      await sendMessage('putLocalEntries', { entries: Array.isArray(parsed) ? parsed : [parsed] });
      await onListChange();
    } catch (error) {
      add.disabled = false;
      message.textContent = `添加失败：${(error as Error).message}`;
      message.className = 'error';
    }
  });
  root.replaceChildren(h2, list, input, add, message);
}
