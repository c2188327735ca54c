import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { API_OPERATIONS } from '../api/paths.gen';
import type { Role } from '../api/types';

/**
 * Every page is a route module: a path, who sees it in the navigation, the API operations it needs,
 * and a lazily loaded page (so the first paint loads only the shell and the page opened). An entry
 * whose operations the server does not have yet (web/src/api/paths.gen.ts, generated from the API)
 * is neither in the navigation nor routed: the pages for online services, certificates and
 * settlement are added here as their modules land (docs/web.md, "Adding a module").
 */
export interface RouteModule {
  path: string;
  /** i18n key of the navigation label; null: routed but not in the navigation (detail pages). */
  nav: string | null;
  audience: 'citizen' | 'officer';
  /** Roles that may open it (default: every role of the audience). */
  roles?: readonly Role[];
  /** API operations (`METHOD /api/v1/…`) the page calls; the entry exists only when all are there. */
  requires: readonly string[];
  page: LazyExoticComponent<ComponentType> | null;
}

const REGISTRARS: readonly Role[] = ['registration_officer', 'supervisor'];

export const MODULES: readonly RouteModule[] = [
  { path: '/me', nav: 'nav.overview', audience: 'citizen', requires: ['GET /api/v1/me/identity', 'GET /api/v1/me/household'], page: lazy(() => import('../pages/citizen/Overview')) },
  { path: '/me/household', nav: 'nav.household', audience: 'citizen', requires: ['GET /api/v1/me/household'], page: lazy(() => import('../pages/citizen/Household')) },
  { path: '/me/id-card', nav: 'nav.idCard', audience: 'citizen', requires: ['GET /api/v1/me/identity', 'POST /api/v1/me/id-card/loss-report'], page: lazy(() => import('../pages/citizen/IdCard')) },
  { path: '/me/access-log', nav: 'nav.accessLog', audience: 'citizen', requires: ['GET /api/v1/me/access-log'], page: lazy(() => import('../pages/citizen/AccessLog')) },
  // Online services (跨省通办), certificates and settlement: their APIs are being built; the entries appear when they exist.
  { path: '/me/services', nav: 'nav.services', audience: 'citizen', requires: ['GET /api/v1/services', 'POST /api/v1/applications'], page: null },
  { path: '/me/certificates', nav: 'nav.certificates', audience: 'citizen', requires: ['GET /api/v1/me/certificates'], page: null },
  { path: '/me/settlement', nav: 'nav.settlement', audience: 'citizen', requires: ['POST /api/v1/settlement/eligibility'], page: null },

  { path: '/work', nav: 'nav.queues', audience: 'officer', requires: ['GET /api/v1/id-card-applications'], page: lazy(() => import('../pages/officer/Queues')) },
  { path: '/work/lookup', nav: 'nav.lookup', audience: 'officer', requires: ['GET /api/v1/persons/{idNumber}', 'GET /api/v1/households/{number}'], page: lazy(() => import('../pages/officer/Lookup')) },
  { path: '/work/register', nav: 'nav.register', audience: 'officer', roles: REGISTRARS, requires: ['POST /api/v1/households/{number}/births'], page: lazy(() => import('../pages/officer/Register')) },
  { path: '/work/id-cards', nav: 'nav.idCards', audience: 'officer', requires: ['POST /api/v1/id-card-applications', 'POST /api/v1/id-cards/loss-reports'], page: lazy(() => import('../pages/officer/IdCards')) },
  { path: '/work/residence', nav: 'nav.residence', audience: 'officer', requires: ['POST /api/v1/residence-registrations', 'POST /api/v1/residence-permits'], page: lazy(() => import('../pages/officer/Residence')) },
  { path: '/work/applications', nav: 'nav.applications', audience: 'officer', requires: ['GET /api/v1/applications'], page: null },
  { path: '/work/settlement', nav: 'nav.settlementRounds', audience: 'officer', requires: ['GET /api/v1/settlement/rounds'], page: null },
];

const available = new Set(API_OPERATIONS);

/** The modules this server supports, for this role. */
export function modulesFor(role: Role | null, officer: boolean): RouteModule[] {
  if (!role) return [];
  const audience = officer ? 'officer' : role === 'citizen' ? 'citizen' : null;
  return MODULES.filter((m) => m.page && m.audience === audience && (!m.roles || m.roles.includes(role)) && m.requires.every((op) => available.has(op)));
}
