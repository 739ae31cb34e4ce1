/** Contracts of the shortlists routes (filled as the routes move onto route(contract, handler)). */
export {};
