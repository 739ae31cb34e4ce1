/** Contracts of the users routes (filled as the routes move onto route(contract, handler)). */
export {};
