/** Public surface of online services handled anywhere: the service catalog, applications, working days, queues. */
export { applicationRoutes } from './applications.routes.ts';
export type { ApplicationRouteOptions } from './applications.routes.ts';
export { APPLICATION_ERRORS } from './applications.errors.ts';
export { registerApplicationCommands } from './applications.cli.ts';
export type { CertificateIssuer, CertificateKind, IssueCertificateInput } from './certificate-issuer.ts';
export { loadServiceCatalog, serviceCatalog, findService, catalogOn } from './catalog.ts';
export type { CatalogService, CatalogMaterial, ServiceCatalog } from './catalog.ts';
export { loadWorkingCalendar, workingCalendar, addWorkingDays, isWorkingDay } from './working-days.ts';
export type { WorkingCalendar } from './working-days.ts';
export { submitApplication } from './submit.service.ts';
export type { SubmitApplicationInput } from './submit.service.ts';
export { submitDraft, acceptApplication, returnApplication, startReview, approveApplication, rejectApplication, completeApplication, withdrawApplication } from './steps.service.ts';
export type { StepDeps } from './steps.service.ts';
export { readApplication, listMyApplications, listQueue, applicationStatistics } from './read.service.ts';
export type { ApplicationView } from './applications.views.ts';
