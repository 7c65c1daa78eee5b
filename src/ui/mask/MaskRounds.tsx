import { useLab } from '../store';

/** Lottery-ticket rounds as they finish: density after pruning and the accuracy the round reached. */
export function MaskRounds() {
  const rounds = useLab((state) => state.maskRounds);
  if (rounds.length === 0) return null;
  return (
    <table className="mask-rounds" data-testid="mask-rounds">
      <caption>Lottery-ticket rounds</caption>
      <thead>
        <tr>
          <th scope="col">Round</th>
          <th scope="col">Test accuracy</th>
          <th scope="col">Density after pruning</th>
        </tr>
      </thead>
      <tbody>
        {rounds.map((r) => (
          <tr key={r.round}>
            <td>
              {r.round} of {r.rounds}
            </td>
            <td>{(r.testAccuracy * 100).toFixed(1)}%</td>
            <td>{(r.density * 100).toFixed(r.density < 0.1 ? 2 : 1)}%</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
