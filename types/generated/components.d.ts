import type { Schema, Struct } from '@strapi/strapi';

export interface StorySection extends Struct.ComponentSchema {
  collectionName: 'components_story_sections';
  info: {
    description: "One section of a story's body: an optional heading and its paragraphs. The lead has no heading.";
    displayName: 'Section';
    icon: 'layer';
  };
  attributes: {
    body: Schema.Attribute.Blocks & Schema.Attribute.Required;
    heading: Schema.Attribute.String &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 200;
      }>;
  };
}

declare module '@strapi/strapi' {
  export namespace Public {
    export interface ComponentSchemas {
      'story.section': StorySection;
    }
  }
}
