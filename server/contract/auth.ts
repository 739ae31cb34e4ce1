/** Contracts of the auth routes (filled as the routes move onto route(contract, handler)). */
export {};
