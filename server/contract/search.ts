/** Contracts of the search routes (filled as the routes move onto route(contract, handler)). */
export {};
