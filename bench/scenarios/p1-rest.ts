import { load } from '../lib/load.ts';
import { rest, startB24, startProcess } from '../lib/processes.ts';
import type { Row, Scenario } from '../lib/scenario.ts';

/** P1: imbot.chat.sendTyping over the wire, 50 connections, against a bare node:http JSON server. */
export const p1Rest: Scenario = {
  id: 'P1',
  title: 'REST hot path: imbot.chat.sendTyping',
  async run({ seconds, connections }) {
    const baseline = await startProcess(['bench/baseline-server.mjs'], {});
    const b24 = await startB24();
    try {
      const botId = await rest(b24.webhook, 'imbot.register', {
        CODE: 'bench',
        EVENT_HANDLER: 'http://127.0.0.1:9/h',
        PROPERTIES: { NAME: 'Bench' },
      });
      const chatId = await rest(b24.webhook, 'imbot.chat.add', { BOT_ID: botId, USERS: [1] });
      const json = JSON.stringify({ BOT_ID: botId, DIALOG_ID: `chat${chatId}` });
      const form = `BOT_ID=${botId}&DIALOG_ID=chat${chatId}`;
      const jsonHeaders = { 'content-type': 'application/json' };
      const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

      const base = await load({ url: `${baseline.url}/`, headers: jsonHeaders, body: json }, connections, seconds);
      const rows: Row[] = [];
      const variant = async (name: string, request: Parameters<typeof load>[0]) => {
        const r = await load(request, connections, seconds);
        rows.push({
          name,
          figure: `${Math.round(r.rps)} req/s, p99 ${r.p99} ms${r.errors || r.non2xx ? ` (${r.errors} errors, ${r.non2xx} non-2xx)` : ''}`,
          baseline: `${Math.round(base.rps)} req/s, p99 ${base.p99} ms`,
          ratio: r.rps / base.rps,
          latencyRatio: r.p99 / Math.max(base.p99, 1),
          goal: name === 'webhook JSON' ? 'throughput ≥ 0.7×, p99 ≤ 2×' : undefined,
          met: name === 'webhook JSON' ? r.rps / base.rps >= 0.7 && r.p99 <= 2 * Math.max(base.p99, 1) : undefined,
        });
      };
      await variant('webhook JSON', { url: `${b24.webhook}imbot.chat.sendTyping`, headers: jsonHeaders, body: json });
      await variant('form to .json (CRest)', {
        url: `${b24.webhook}imbot.chat.sendTyping.json`,
        headers: formHeaders,
        body: form,
      });
      await variant('GET query (@2bad/bitrix)', { url: `${b24.webhook}imbot.chat.sendTyping?${form}`, method: 'GET' });
      const cmd = Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [
          `t${i}`,
          `imbot.chat.sendTyping?BOT_ID=${botId}&DIALOG_ID=chat${chatId}`,
        ]),
      );
      await variant('batch of 50 sendTyping', {
        url: `${b24.webhook}batch`,
        headers: jsonHeaders,
        body: JSON.stringify({ halt: 0, cmd }),
      });
      return rows;
    } finally {
      await b24.destroy();
      await baseline.stop();
    }
  },
};
