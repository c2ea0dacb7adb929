import { http } from './http';
import type { Schemas } from './schema';

export type AmountInWords = Schemas['AmountInWords'];

/** GET /api/money/capitals?fen=…&fen=… — each amount in yuan and in capitals (大写), written by
 * the server's one implementation (scf/money.py). */
export const amountsInCapitals = (fen: (number | string)[]) =>
  http.get<{ amounts: AmountInWords[] }>('/api/money/capitals', { fen: fen.map(String) }).then((body) => body.amounts);
