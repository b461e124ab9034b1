/** The free storyboard preview is an MP4 too; its file name starts with this (preview-post.ts). */
export const isPreview = (filename: string) => filename.startsWith('adgen-preview-');
/** The ad's video (any version), not a preview. */
export const isAdVideo = (filename: string) => filename.endsWith('.mp4') && !isPreview(filename);
