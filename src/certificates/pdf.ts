import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import type { CertificateView } from './certificates.schemas.ts';
import { certificateFontBytes, sharedFontkit } from './font.ts';
import { groupedNumber } from './number.ts';

/**
 * The certificate as a PDF (A4): title, the facts certified, issuer, dates, number, and the QR code
 * of the signed payload drawn as vector squares. Chinese text in Noto Sans SC (font.ts, from npm, no
 * system font), subset to the glyphs used, so a certificate PDF stays small.
 */
const TITLES: Record<CertificateView['kind'], [string, string]> = {
  hukou_registration: ['户籍证明', 'Certificate of Household Registration'],
  family_relationship: ['家庭关系证明', 'Certificate of Family Relationship within the Household'],
  deregistration: ['户口注销证明', 'Certificate of Deregistration'],
};

const LABELS: Record<string, string> = {
  name: '姓名 Name',
  idNumber: '公民身份号码 ID number',
  sex: '性别 Sex',
  birthDate: '出生日期 Date of birth',
  householdNumber: '户号 Household number',
  hukouAddress: '户籍地址 Registered address',
  relationshipToHead: '与户主关系 Relationship to head',
  registeredSince: '登记日期 Registered since',
  deregisteredOn: '注销日期 Deregistered on',
  reason: '注销原因 Reason',
  issuingAuthorityName: '出具机关 Issued by',
};

/** Advance widths at size 1 by character: fontkit's layout costs milliseconds a call, so wrapping measures characters once. */
const widths = new Map<string, number>();

function widthOf(f: PDFFont, s: string, size: number): number {
  let w = 0;
  for (const ch of s) {
    let cw = widths.get(ch);
    if (cw === undefined) {
      cw = f.widthOfTextAtSize(ch, 1);
      widths.set(ch, cw);
    }
    w += cw;
  }
  return w * size;
}

function text(page: PDFPage, f: PDFFont, s: string, x: number, y: number, size: number, maxWidth = 470): number {
  // wrap by characters: Chinese has no spaces to break at
  let line = '';
  let yy = y;
  for (const ch of s) {
    if (line && widthOf(f, line + ch, size) > maxWidth) {
      page.drawText(line, { x, y: yy, size, font: f });
      yy -= size * 1.4;
      line = '';
    }
    line += ch;
  }
  if (line) page.drawText(line, { x, y: yy, size, font: f });
  return yy - size * 1.6;
}

export async function certificatePdf(c: CertificateView): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(sharedFontkit);
  const [zh, en] = TITLES[c.kind];
  doc.setTitle(`${zh} ${c.number}`);
  doc.setSubject(en);
  doc.setProducer('hukou');
  doc.setCreationDate(new Date(c.issuedAt));
  doc.setModificationDate(new Date(c.issuedAt));
  const f = await doc.embedFont(certificateFontBytes(), { subset: true });
  const page = doc.addPage([595.28, 841.89]);
  let y = 780;
  page.drawText(zh, { x: 60, y, size: 24, font: f });
  y -= 22;
  page.drawText(en, { x: 60, y, size: 11, font: f, color: rgb(0.3, 0.3, 0.3) });
  y -= 34;
  const facts = c.facts as Record<string, unknown>;
  for (const [k, v] of Object.entries(facts)) {
    if (k === 'members' && Array.isArray(v)) {
      y = text(page, f, '家庭成员 Household members', 60, y, 11);
      for (const m of v as { name: string; idNumber: string; relationship: string }[]) y = text(page, f, `${m.relationship}  ${m.name}  ${m.idNumber}`, 80, y, 11);
      continue;
    }
    y = text(page, f, `${LABELS[k] ?? k}：${String(v)}`, 60, y, 11);
  }
  y -= 10;
  y = text(page, f, `出具机关代码 Issuing authority：${c.issuingAuthorityId}`, 60, y, 11);
  y = text(page, f, `出具时间 Issued：${c.issuedAt}`, 60, y, 11);
  y = text(page, f, `有效期至 Valid until：${c.validUntil}`, 60, y, 11);
  y = text(page, f, `证明编号 Certificate number：${groupedNumber(c.number)}`, 60, y, 11);
  text(page, f, `签名 Signature：${c.algorithm}，密钥 key ${c.keyId}`, 60, y, 9);

  const qr = QRCode.create(c.qrText, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const side = 170;
  const cell = side / (n + 8);
  const x0 = 595.28 - 60 - side;
  const y0 = 90;
  page.drawRectangle({ x: x0, y: y0, width: side, height: side, color: rgb(1, 1, 1) });
  // one path of unit squares (runs of dark modules merged), scaled: a few kilobytes, one operator
  let path = '';
  for (let r = 0; r < n; r++) {
    for (let col = 0; col < n; col++) {
      if (!qr.modules.get(r, col)) continue;
      let run = 1;
      while (col + run < n && qr.modules.get(r, col + run)) run++;
      path += `M${col + 4} ${r + 4}h${run}v1h-${run}z`;
      col += run - 1;
    }
  }
  page.drawSvgPath(path, { x: x0, y: y0 + side, scale: cell, color: rgb(0, 0, 0), borderWidth: 0 });
  text(page, f, '扫码或访问 /verify 核验真伪（可离线核验）', 60, 150, 10, 300);
  text(page, f, 'Scan, or open /verify, to check it is genuine (works offline too).', 60, 134, 9, 300);
  return Buffer.from(await doc.save({ useObjectStreams: true }));
}
