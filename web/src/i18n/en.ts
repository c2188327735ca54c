import type { zh } from './zh';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** Same keys as zh.ts (the type checker enforces it). */
export const en: Shape<typeof zh> = {
  common: { loading: 'Loading…', retry: 'Try again', cancel: 'Cancel', details: 'Details', refresh: 'Refresh' },
  shell: {
    citizenTitle: 'Household registration · Residents', officerTitle: 'Household registration · Officer workbench', skip: 'Skip to main content', openMenu: 'Open menu', menu: 'Menu', navigation: 'Main navigation', signOut: 'Sign out', language: 'Language',
    noPages: 'No pages for this account', noPagesHelp: 'The web app serves residents and officers; other roles use the API or the CLI.', notFound: 'Page not found', notFoundHelp: 'Choose a page from the menu.',
  },
  nav: {
    overview: 'Home', household: 'My household booklet', idCard: 'My ID card and residence permit', accessLog: 'Who looked at my data', services: 'Online services', certificates: 'My certificates', settlement: 'Settlement eligibility',
    queues: 'Work queues', lookup: 'Person and household lookup', register: 'Register operations', idCards: 'ID cards', residence: 'Residence and permits', applications: 'Applications', settlementRounds: 'Points settlement',
  },
  login: {
    title: 'Sign in', subtitle: 'One entrance for residents and officers. Officer accounts also need a 6-digit code.', username: 'Username', password: 'Password', usernameRequired: 'Enter your username', passwordRequired: 'Enter your password', submit: 'Sign in',
    totp: '6-digit code', totpIntro: 'Open your authenticator app and enter the 6 digits it shows now.', totpHelp: 'Changes every 30 seconds', totpInvalid: 'Enter 6 digits', verify: 'Verify',
    changeIntro: 'An administrator reset your password. Set a new one.', newPassword: 'New password', newPasswordRule: 'At least 12 characters', change: 'Change password and continue',
  },
  reauth: { title: 'Confirm it is you', continue: 'Continue', signOut: 'Sign out', expired: 'For your safety the session has expired. Enter your password to continue.', secondFactor: 'This needs your 6-digit code.', formKept: 'What you were entering is kept; the page continues once you are signed in.' },
  overview: { title: 'My registration services', intro: 'Your hukou, ID card and residence permit at a glance, and what to do next.', nextSteps: 'What to do next', idCard: 'ID card and residence permit', household: 'My household' },
  household: {
    title: 'My household booklet (户口簿)', intro: 'As in the paper booklet: the household page and one page per member. Viewing other members’ pages is recorded in their access log.', front: 'Household page', number: 'Household number', kind: 'Type', head: 'Head of household', authority: 'Registration authority', address: 'Address',
    members: 'Members', memberPages: 'Member pages ({{count}})', me: 'You', since: 'In this household since',
    kinds: { family: 'Family household', collective: 'Collective household', public_collective: 'Public collective household' },
  },
  person: {
    idNumber: 'Citizen ID number', sex: 'Sex', birthDate: 'Date of birth', ethnicity: 'Ethnicity', formerNames: 'Former names', occupation: 'Occupation', employer: 'Employer', pinyin: 'Name in pinyin', status: 'Registration status',
    statuses: { active: 'Active', deceased: 'Deceased', cancelled: 'Cancelled', emigrated: 'Settled abroad' },
  },
  card: {
    title: 'My ID card and residence permit', intro: 'Status, validity and what to do next. A lost card can be reported here at once.', resident: 'Resident ID card', holder: 'Name', status: 'Status', kind: 'Type', validFrom: 'Valid from', validUntil: 'Valid until',
    longTerm: 'Long-term', renewalOpens: 'Renewal possible from', delivered: 'Collected on', notDelivered: 'Not collected yet', noneYet: 'No ID card on record. At 16 you must apply for one, at any police station.',
    reportLost: 'Report my card lost', reportLostTitle: 'Report your ID card lost?', reportLostConfirm: 'Report lost', reportLostWarning: 'The card stops working everywhere at once and cannot be used again even if found. Then apply for a reissue at any police station (fee ¥40).',
    lostDone: 'Reported lost. Apply for a reissue at any police station.', applications: 'ID card applications', appliedOn: 'Applied on', applicationKind: 'Kind', state: 'State', dueOn: 'Due by',
    kinds: { resident: 'Resident ID card', temporary: 'Temporary ID card' },
    statuses: { valid: 'Valid', expired: 'Expired', reported_lost: 'Reported lost', superseded: 'Replaced', cancelled: 'Cancelled', none: 'None' },
  },
  permit: {
    title: 'Residence permit', none: 'None', noneHelp: 'You have no residence registration. Living in a city other than your hukou city, register at the local police station; after six months you may apply for a permit.', registeredNoPermit: 'Residence registered at {{address}}; no permit applied for yet.',
    issuedOn: 'Issued on', endorsement: 'Endorsement', windowOpens: 'Endorsement opens', lastOnTime: 'Endorse by', address: 'Residence address',
    status: { applied: 'Applied', valid: 'Valid', suspended: 'Suspended (endorsement missed)', rejected: 'Refused', cancelled: 'Cancelled' },
    endorsementStatus: { not_due: 'Not due', due: 'Due now', overdue: 'Overdue', not_applicable: 'Not applicable' },
  },
  next: {
    noCard: { title: 'You have no ID card yet', what: 'Bring the household booklet to any police station to apply.' },
    lost: { title: 'Your ID card is reported lost', what: 'Apply for a reissue at any police station (fee ¥40); you can get a temporary card at the same time.' },
    expired: { title: 'Your ID card has expired', what: 'Renew it at any police station soon.' },
    renewNow: { title: 'You can renew your ID card now', what: 'It expires on {{until}}; renew at any police station.' },
    renewLater: { title: 'Your ID card is valid', what: 'Renewal opens on {{from}}; you will be reminded.' },
    cardValid: { title: 'Your ID card is valid', what: 'Long-term card: no renewal needed.' },
    applicationAccepted: { title: 'Your ID card application was accepted', what: 'Your hukou-place authority is checking it; done by {{dueOn}} at the latest.' },
    cardReady: { title: 'Your new card has been made', what: 'Collect it where you applied (by {{dueOn}}).' },
    permitApplied: { title: 'Your residence permit is being processed', what: 'Done by {{dueOn}} at the latest.' },
    endorseDue: { title: 'Your residence permit needs its endorsement', what: 'Have it endorsed at the local police station by {{until}}, or it is suspended.' },
    endorseOverdue: { title: 'The endorsement is overdue', what: 'Have it endorsed at the local police station as soon as possible.' },
    endorseLater: { title: 'Your residence permit is valid', what: 'The yearly endorsement opens on {{from}}.' },
  },
  trail: {
    title: 'Who looked at my data', intro: 'Every view, check and registration is recorded and cannot be altered. These are all the entries about you.', empty: 'Nobody has looked at your data yet.',
    access: '{{who}} ({{role}}) {{action}}', event: '{{who}} recorded: {{action}}', cardCheck: '{{who}} checked your ID card: {{outcome}}', system: 'system',
    purpose: 'Purpose: {{purpose}}', refused: 'Refused ({{code}})', fields: 'What they saw: {{fields}}', basis: 'Legal basis: {{basis}}',
    actions: {
      'person.read': 'viewed your register record', 'household.read': 'viewed your household booklet', 'person.search': 'saw you in a search (masked)', 'identity.read': 'viewed your ID card and residence permit',
      'idcard.application.read': 'viewed your ID card application', 'idcard.application.queue': 'saw your ID card application in a work queue', 'idcard.check': 'checked your ID card',
      birth: 'birth registration', move_in: 'move in', move_out: 'move out', death: 'death registration', correction: 'correction', head_change: 'change of head', split: 'household split',
    },
    outcomes: { valid: 'valid', invalid: 'not valid', returned: 'returned' },
    fieldNames: {},
  },
  roles: { citizen: 'resident', counter_officer: 'counter officer', registration_officer: 'registration officer', supervisor: 'supervisor', statistician: 'statistician', administrator: 'administrator', department_client: 'department system' },
  purpose: { label: 'Purpose (case or application reference)', help: 'A full record is shown only for a stated purpose; it is written to the access log the person can read.', required: 'State the purpose', invalid: 'Letters, digits and . _ / - only', logged: 'This view was recorded with the purpose “{{purpose}}”.' },
  form: {
    done: 'Done', required: 'Required', reason: 'Reason or note', reasonRequired: 'Give the reason', idRequired: 'Enter the ID number', idFormat: '18 characters; the last may be X', householdRequired: 'Enter the household number', nameRequired: 'Enter the name', version: 'Record version',
  },
  lookup: { title: 'Person and household lookup', intro: 'State the purpose, then see the full record. Only persons in your area, or in an application you handle, are found.', person: 'Person', household: 'Household', show: 'Show', householdWithheld: 'This person’s household is outside your area', timeline: 'Registration history', occurredOn: 'Date', event: 'Event', reason: 'Reason' },
  events: { birth: 'Birth', move_in: 'Move in', move_out: 'Move out', death: 'Death', correction: 'Correction', head_change: 'Change of head', split: 'Split', household_created: 'Household created', removal: 'Removal', restored: 'Restored' },
  register: {
    title: 'Register operations', intro: 'Step by step: state the purpose and load the household or person (with its current version), then fill in. If someone changed the record meanwhile you are told to reload.',
    loadHousehold: 'Load household', loadPerson: 'Load person', householdLoaded: 'Household {{number}} · head {{head}} · version {{version}}', personLoaded: '{{name}} · version {{version}}',
    versionNote: 'The version is checked on submit: a change made meanwhile is reported as a conflict, never overwritten.', member: 'Member', relationshipToHead: 'Relationship to the head', relationshipToNewHead: 'Relationship to the new head',
    birth: { tab: 'Birth', submit: 'Register the birth', name: 'Name', done: 'Registered: {{name}}, ID number {{id}}' },
    move: { tab: 'Move (in province)', submit: 'Move', to: 'Destination household number' },
    transfer: {
      tab: 'Interprovincial transfer', submit: 'Accept the transfer', intro: 'Handled at the destination: accepted here, the origin moves the person out automatically.', destination: 'Destination household (in your area)', category: 'Category', done: 'Accepted: {{id}} ({{state}})',
      categories: { job_transfer: 'Job transfer', study_admission: 'Study admission', graduate: 'Graduate', spouse: 'Joining a spouse', parents_join_children: 'Parents joining children', other: 'Other' },
    },
    death: { tab: 'Death', submit: 'Register the death', date: 'Date of death' },
    correction: { tab: 'Correction', submit: 'Submit the correction', intro: 'Fill in only what must change.' },
    head: { tab: 'Change of head', submit: 'Change the head', newHead: 'New head of household' },
    split: { tab: 'Split', submit: 'Split the household', members: 'Members who leave', township: 'Township code', townshipRule: '9 digits' },
  },
  idcards: {
    title: 'ID card counter', intro: 'Handled anywhere: any police station accepts; the hukou place confirms and issues; the accepting station hands the card over.', application: 'Application', scope: 'Scope', fee: 'Fee due', hukouPlace: 'Hukou-place authority',
    kinds: { first: 'First card', renewal: 'Renewal', reissue: 'Reissue', temporary: 'Temporary card' },
    states: { accepted: 'Accepted', confirmed: 'Issued, to collect', delivered: 'Collected', rejected: 'Refused' },
    scopes: { local: 'Local', intraprovincial_cross_prefecture: 'Other city, same province', interprovincial: 'Other province' },
    reasons: { expiry: 'Expiry', name_change: 'Name change', damage: 'Damaged card' },
    accept: { tab: 'Accept an application', submit: 'Accept', intro: 'Accepted at your authority ({{authority}}). A reissue needs a loss report first.', reason: 'Reason for renewal' },
    loss: { tab: 'Loss report', submit: 'Report lost', intro: 'Takes effect nationally at once.', done: 'Reported lost on {{on}}' },
    decide: { tab: 'Issue and hand over', submit: 'Do it', action: 'Action', confirm: 'Confirm and issue', reject: 'Refuse', deliver: 'Hand over', idRule: 'Enter the reference (36 characters)' },
  },
  queues: {
    title: 'Work queues', intro: 'ID card applications waiting for your authority and those under it; overdue first.', confirm: 'To confirm (hukou place)', confirmHelp: 'Applications of people whose hukou is in your area, accepted anywhere.', deliver: 'To hand over (accepting authority)', deliverHelp: 'Cards issued for applications accepted here, waiting to be collected.',
    empty: 'Nothing waiting', name: 'Name', overdue: 'Overdue ({{date}})', action: 'Action',
  },
  residence: {
    title: 'Residence registration and permits', intro: 'People living away from their hukou city: register residence, apply for a permit, yearly endorsements.', address: 'Residence address', permitId: 'Permit reference', registrationId: 'Registration reference',
    bases: { employment: 'Stable employment', residence_lease: 'Stable residence (lease)', residence_owned: 'Stable residence (owned)', study: 'Continuous study' },
    register: { tab: 'Register residence', submit: 'Register', intro: 'Registered in your authority’s area.', done: 'Registered: {{id}}' },
    permit: { tab: 'Permit application', submit: 'Accept the application', intro: 'Six months of registered residence plus one basis.', basis: 'Basis', evidence: 'Evidence', done: 'Accepted: {{id}}, due by {{dueOn}}' },
    decide: { tab: 'Issue', submit: 'Do it', issue: 'Issue', reject: 'Refuse', cancel: 'Cancel' },
    endorse: { tab: 'Endorse', submit: 'Endorse', intro: 'Yearly, within a month either side of the anniversary.' },
    end: { tab: 'End a registration', submit: 'End the registration' },
  },
};
