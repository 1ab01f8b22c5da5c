/**
 * The pagination styles of SPEC §4, as one table: the parameter that sets the page size, the
 * size a service serves when none is asked for, and the sizes it must accept. The walk, the
 * probes and the checks all read it from here.
 */
export const PAGINATION_STYLES = {
  cursor: { sizeParam: 'limit', defaultSize: 50, minSize: 1, maxSize: 100 },
  page: { sizeParam: 'page_size', defaultSize: 20, minSize: 1, maxSize: 100 },
} as const;

export type PaginationStyleName = keyof typeof PAGINATION_STYLES;
export type PaginationConvention = (typeof PAGINATION_STYLES)[PaginationStyleName];

/** The pagination convention a target declares (or its profile presumes). */
export function paginationOf(target: { readonly conventions: { readonly pagination: PaginationStyleName } }): PaginationConvention {
  return PAGINATION_STYLES[target.conventions.pagination];
}
