/** People's names for record fields: one list in domain/, shared with the audit log's CSV. */
export { actionLabel, auditValue, entityLabel, fieldLabel } from '../../../domain/fieldLabels.ts';
