/** The data the app seeds, and the functions that seed it. */
export { seedStory, type SeedResult } from './seed-story';
export { story, entities } from './story/story';
