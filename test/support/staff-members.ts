import type { StaffMember } from '../../functions/domain/staff.js';

/** People of the council's complaints team, as the workspace's tests sign them in. */

/** The complaints team: sees and acts on every case. */
export const TEAM: StaffMember = {
  sub: 'casey',
  email: 'casey.morgan@example.gov.uk',
  name: 'Casey Morgan',
  roles: ['complaints-team'],
  services: [],
};

/** The nominated officer: decides designations of unreasonably persistent complainants. */
export const NOMINATED: StaffMember = {
  sub: 'nia',
  email: 'nia.okafor@example.gov.uk',
  name: 'Nia Okafor',
  roles: ['nominated-officer'],
  services: [],
};

/** The data protection officer: legal holds, erasure, subject access. */
export const DPO: StaffMember = {
  sub: 'dana',
  email: 'dana.okafor@example.gov.uk',
  name: 'Dana Okafor',
  roles: ['data-protection'],
  services: [],
};
