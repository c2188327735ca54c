/** Public surface of electronic household certificates (户籍证明): issue (called by applications), read, PDF, revoke, verify online and offline. */
export { certificateRoutes, type CertificateRouteOptions } from './certificates.routes.ts';
export { verifyPageRoutes } from './verify-page.routes.ts';
export { registerCertificateCommands } from './certificates.cli.ts';
export { CERTIFICATE_ERRORS } from './certificates.errors.ts';
export {
  issueCertificate,
  getCertificate,
  renderCertificatePdf,
  revokeCertificate,
  verifyCertificateOnline,
  currentTrustList,
  currentStatusList,
  type IssueCertificateInput,
} from './certificates.service.ts';
export { verifyOffline, type VerificationResult, type VerificationStatus } from './verify.ts';
export { listSigningKeys, rotateSigningKey, type KeyView } from './keys.service.ts';
export type { CertificateView } from './certificates.schemas.ts';
export type { CertificateKind } from './payload.ts';
export type { TrustList } from './trust-list.ts';
export type { StatusList } from './status-list.ts';
