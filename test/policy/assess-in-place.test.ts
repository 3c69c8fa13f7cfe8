// Tests that verify()'s hand-over (assessInPlace) yields the same evaluation as the default clones.
import t from 'tap';
import { evaluateDataset } from '../../src/policy/evaluate.js';
import { compliantCopies, input } from '../helpers/copies.js';

t.test('assessing in place gives the same verdict, findings and copies as assessing clones', async (t) => {
  const copies = compliantCopies();
  const handed = structuredClone(copies);
  const cloned = evaluateDataset(input(copies));
  const inPlace = evaluateDataset(input(handed, { assessInPlace: true }));
  t.same(inPlace, cloned);
  t.equal(inPlace.copies[0], handed[0], 'the handed-over copy itself carries its assessment');
});

t.test('by default the input copies are left alone', async (t) => {
  const copies = compliantCopies();
  const result = evaluateDataset(input(copies));
  t.not(result.copies[0], copies[0]);
  t.notOk('assessment' in (copies[0] as object));
});
