/** Contracts of the audit routes (filled as the routes move onto route(contract, handler)). */
export {};
