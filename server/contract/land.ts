/** Contracts of the land routes (filled as the routes move onto route(contract, handler)). */
export {};
