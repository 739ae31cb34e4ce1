/** Contracts of the projects routes (filled as the routes move onto route(contract, handler)). */
export {};
