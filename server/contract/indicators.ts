/** Contracts of the indicators routes (filled as the routes move onto route(contract, handler)). */
export {};
