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

export interface StoryUpdate extends Struct.ComponentSchema {
  collectionName: 'components_story_updates';
  info: {
    description: "One entry of an article's public log of updates, corrections and clarifications.";
    displayName: 'Update';
    icon: 'clock';
  };
  attributes: {
    at: Schema.Attribute.DateTime;
    kind: Schema.Attribute.Enumeration<
      ['update', 'correction', 'clarification']
    > &
      Schema.Attribute.Required &
      Schema.Attribute.DefaultTo<'correction'>;
    note: Schema.Attribute.Text &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 1000;
      }>;
  };
}

declare module '@strapi/strapi' {
  export namespace Public {
    export interface ComponentSchemas {
      'story.section': StorySection;
      'story.update': StoryUpdate;
    }
  }
}
