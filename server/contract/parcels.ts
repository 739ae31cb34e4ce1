/** Contracts of the parcels routes (filled as the routes move onto route(contract, handler)). */
export {};
