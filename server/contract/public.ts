/** Contracts of the public routes (filled as the routes move onto route(contract, handler)). */
export {};
