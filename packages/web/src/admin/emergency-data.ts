import type { ApiClient } from '../api/api-client.js';

/** An emergency window: while active, the named actions pass without review (flagged, audited). */
export interface EmergencyWindow {
  readonly id: string;
  readonly actions: readonly string[];
  readonly reason: string;
  readonly openedBy: string;
  readonly openedAt: string;
  readonly closesAt: string;
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly active: boolean;
}

/** Recent windows, newest first (the admin and moderators may list them). */
export async function listEmergencyWindows(
  api: ApiClient,
  signal?: AbortSignal,
): Promise<readonly EmergencyWindow[]> {
  const body = await api.get<{ windows: EmergencyWindow[] }>(
    '/v1/emergency',
    signal === undefined ? {} : { signal },
  );
  return body.windows;
}

/** The action globs typed into a box: one per line or separated by commas, blanks dropped. */
export function parseActionGlobs(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    ),
  ];
}

/** Said in this tab when the admin opened or closed a window here, so every view refreshes. */
export const EMERGENCY_CHANGED_EVENT = 'gatehouse:emergency-changed';

/** Tells this tab's views that the emergency windows changed. */
export function announceEmergencyChange(): void {
  window.dispatchEvent(new Event(EMERGENCY_CHANGED_EVENT));
}
