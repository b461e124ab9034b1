import type { Brief } from '../pipeline/schemas.ts';

/** The canned brief `adgen demo` renders: a realistic small-business ad. */
export const DEMO_BRIEF: Brief = {
  product: 'Brewline, a cold brew coffee subscription delivered every two weeks',
  audience: 'remote workers aged 25-40 who start their day at the kitchen table',
  tone: ['energetic', 'warm', 'confident'],
  style: ['sunlit', 'clean', 'modern'],
  keyMessages: [
    'Barista-grade cold brew at home',
    'Fresh batches every two weeks',
    'Pause or cancel anytime',
  ],
  callToAction: 'Get your first box at 50% off — brewline.co',
};
