/**
 * Sending an edit: whether it is on its way, and the server's refusal if it was refused (shown by EditForm).
 * Both record edit forms use it, so a refusal reads the same everywhere.
 */
import { ApiError } from '../lib/api.ts';

export class Submission {
  saving = $state(false);
  problem = $state<ApiError | null>(null);

  /** Runs the request; true when it succeeded. A refusal is kept in `problem`, never thrown. */
  async run(request: () => Promise<unknown>): Promise<boolean> {
    this.problem = null;
    this.saving = true;
    try {
      await request();
      return true;
    } catch (err) {
      this.problem = err instanceof ApiError ? err : new ApiError(0, String(err));
      return false;
    } finally {
      this.saving = false;
    }
  }
}
