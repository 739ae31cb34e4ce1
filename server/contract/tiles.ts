/** Contracts of the tiles routes (filled as the routes move onto route(contract, handler)). */
export {};
