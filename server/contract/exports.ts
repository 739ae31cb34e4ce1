/** Contracts of the exports routes (filled as the routes move onto route(contract, handler)). */
export {};
