import type { Page, Query } from '../services/http';

export const PAGE_SIZE = 50;

/** Adapt a paginated API call to ProTable's `request` (the server pages by 50). */
export function pagedRequest<T>(
  fetch: (query: Query) => Promise<Page<T>>,
  onError?: (error: unknown) => void,
  mapParams: (params: Record<string, unknown>) => Query = (params) => params as Query,
) {
  return async (params: Record<string, unknown> & { current?: number; pageSize?: number }) => {
    const { current, pageSize: _pageSize, ...filters } = params;
    void _pageSize;
    try {
      const page = await fetch({ ...mapParams(filters), page: current ?? 1 });
      return { data: page.results, total: page.count, success: true };
    } catch (error) {
      onError?.(error);
      return { data: [] as T[], total: 0, success: false };
    }
  };
}
