/**
 * The options page's feeds: each subscription with its active version, entry counts, last success,
 * last error in words and next check; adding a feed (manifest URL and trusted public keys, one a
 * line, several while a publisher rotates keys); "sync now"; the check interval. Feed text (names,
 * errors) is shown as text, never as HTML.
 */
import { sendMessage, type SyncStatus } from '../platform/messages';

const time = (at: number | null) =>
  at === null ? '—' : new Date(at).toLocaleString('zh-CN', { hour12: false });

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export async function renderFeeds(
  root: HTMLElement,
  onListChange: () => Promise<void>,
): Promise<void> {
  const status = await sendMessage('getSyncStatus', {});
  const rerender = async (next?: SyncStatus) => {
    await onListChange();
    return next;
  };
  const message = el('p', '', 'feed-message');
  message.id = 'feed-message';
  message.setAttribute('role', 'status');
  const say = (text: string, kind: 'ok' | 'error' | 'busy') => {
    const m = root.ownerDocument.getElementById('feed-message') ?? message;
    m.textContent = text;
    m.className = `feed-message ${kind}`;
  };

  const list = el('ul');
  list.id = 'feed-list';
  for (const feed of status.feeds) {
    const item = el('li', undefined, 'feed');
    item.dataset.feed = feed.id;
    item.dataset.version = feed.version === null ? '' : String(feed.version);
    const dl = el('dl');
    const rows: [string, string, string][] = [
      ['地址', feed.url, 'url'],
      ['名单', feed.name ?? feed.feedId ?? '（尚未同步）', 'name'],
      ['版本', feed.version === null ? '—' : String(feed.version), 'version'],
      ['条目', feed.entries === null ? '—' : `${feed.entries}（${feed.members} 项）`, 'entries'],
      ['上次成功', time(feed.lastSuccessAt), 'success'],
      ['上次错误', feed.lastError ?? '无', 'error'],
      ['下次检查', time(feed.nextCheckAt), 'next'],
      ['公钥', feed.keys.map((k) => `${k.slice(0, 12)}…`).join('，'), 'keys'],
    ];
    for (const [term, value, name] of rows) {
      const dd = el('dd', value);
      dd.dataset.field = name;
      dl.append(el('dt', term), dd);
    }
    const remove = el('button', '取消订阅', 'remove-feed');
    remove.type = 'button';
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      await sendMessage('removeFeed', { id: feed.id });
      await rerender();
    });
    item.append(dl, remove);
    list.append(item);
  }
  if (status.feeds.length === 0) list.append(el('li', '未订阅任何名单源：使用内置名单。', 'empty'));

  const form = el('form');
  form.id = 'add-feed';
  const url = el('input');
  url.type = 'url';
  url.name = 'url';
  url.required = true;
  url.placeholder = 'https://…/manifest.json';
  const keys = el('textarea');
  keys.name = 'keys';
  keys.required = true;
  keys.rows = 2;
  keys.placeholder = '公钥（feed.pub 的内容，每行一个）';
  const add = el('button', '订阅');
  add.type = 'submit';
  const urlLabel = el('label', '名单源地址：');
  urlLabel.append(url);
  const keysLabel = el('label', '信任的公钥：');
  keysLabel.append(keys);
  form.append(urlLabel, keysLabel, add);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    add.disabled = true;
    say('正在订阅并同步…', 'busy');
    try {
      const next = await sendMessage('addFeed', {
        url: url.value,
        keys: keys.value.split(/\s+/).filter(Boolean),
      });
      await rerender(next);
      const feed = next.feeds.find((f) => f.url === url.value.trim());
      say(
        feed?.lastError
          ? `已订阅，同步失败：${feed.lastError}`
          : `已订阅并同步到版本 ${feed?.version}`,
        feed?.lastError ? 'error' : 'ok',
      );
    } catch (error) {
      add.disabled = false;
      say(`订阅失败：${(error as Error).message}`, 'error');
    }
  });

  const syncNow = el('button', '立即同步');
  syncNow.type = 'button';
  syncNow.id = 'sync-now';
  syncNow.disabled = status.feeds.length === 0;
  syncNow.addEventListener('click', async () => {
    syncNow.disabled = true;
    say('正在同步…', 'busy');
    const next = await sendMessage('syncNow', {});
    await rerender(next);
    const failed = next.feeds.filter((f) => f.lastError);
    say(
      failed.length ? `同步失败：${failed.map((f) => f.lastError).join('；')}` : '同步完成',
      failed.length ? 'error' : 'ok',
    );
  });

  const interval = el('input');
  interval.type = 'number';
  interval.min = '1';
  interval.max = '1440';
  interval.id = 'sync-interval';
  interval.value = String(status.settings.intervalMinutes);
  interval.addEventListener('change', async () => {
    const minutes = Number(interval.value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      say('检查间隔为 1–1440 分钟', 'error');
      return;
    }
    await sendMessage('setSyncSettings', { ...status.settings, intervalMinutes: minutes });
    say(`每 ${minutes} 分钟检查一次`, 'ok');
  });
  const intervalLabel = el('label', '检查间隔（分钟）：');
  intervalLabel.append(interval);

  root.replaceChildren(el('h2', '名单源（订阅）'), list, syncNow, intervalLabel, form, message);
}
