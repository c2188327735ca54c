import type { VerificationResult } from './verify.ts';

/** The tiny public verification page (server-rendered, no script): Chinese and English. */
const WORDS: Record<VerificationResult['status'], [string, string, string]> = {
  genuine: ['真实有效', 'Genuine and in force', '#1a7f37'],
  revoked: ['已撤销', 'Revoked', '#b42318'],
  expired: ['已过期', 'Expired', '#b54708'],
  unknown: ['无法确认', 'Unknown: not a certificate we issued', '#b42318'],
  tampered: ['内容被篡改或无效', 'Tampered or invalid', '#b42318'],
};

const KIND: Record<string, string> = { hukou_registration: '户籍证明 Household registration', family_relationship: '家庭关系证明 Family relationship', deregistration: '户口注销证明 Deregistration' };

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function verificationPage(r: VerificationResult | null, code: string): string {
  const body: string[] = [];
  if (r) {
    const [zh, en, colour] = WORDS[r.status];
    body.push(`<p role="status" style="font-size:1.4em;color:${colour}"><strong lang="zh-CN">${zh}</strong> · <span lang="en">${en}</span></p>`);
    if (r.certificate) {
      const c = r.certificate;
      const rows: [string, string][] = [
        ['证明编号 Number', c.number],
        ['类别 Kind', KIND[c.kind] ?? c.kind],
        ['出具机关 Issued by', c.issuingAuthorityId],
        ['出具时间 Issued', c.issuedAt],
        ['有效期至 Valid until', c.validUntil],
        ...Object.entries(c.facts ?? {}).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ];
      body.push(`<table>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`);
    }
    body.push(`<p><small>${esc(r.reason)} · ${esc(r.checkedAt)}</small></p>`);
  }
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>户籍证明核验 Certificate verification</title>
<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5}th{text-align:left;padding-right:1em;font-weight:normal;color:#555}input{width:100%;font-size:1em;padding:.4em}button{font-size:1em;margin-top:.5em;padding:.4em 1em}</style>
</head><body><main>
<h1>户籍证明核验 <span lang="en">Certificate verification</span></h1>
<form method="get" action="/verify"><label for="c">证明编号或二维码内容 <span lang="en">Certificate number or QR text</span></label>
<input id="c" name="c" value="${esc(code)}" autocomplete="off" maxlength="4096"><button type="submit">核验 Verify</button></form>
${body.join('\n')}
<p><small>离线核验：下载 <a href="/api/v1/public/certificates/trust-list">公钥信任列表 trust list</a> 与 <a href="/api/v1/public/certificates/status-list">撤销状态列表 status list</a>。</small></p>
</main></body></html>`;
}
