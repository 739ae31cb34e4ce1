/** Contracts of the supervision routes (filled as the routes move onto route(contract, handler)). */
export {};
