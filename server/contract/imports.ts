/** Contracts of the imports routes (filled as the routes move onto route(contract, handler)). */
export {};
