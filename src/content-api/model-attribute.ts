/** What the app reads of a Strapi model attribute (relations, components, media, scalars). */
export interface ModelAttribute {
  type: string;
  relation?: string;
  target?: string;
  component?: string;
  repeatable?: boolean;
  multiple?: boolean;
  private?: boolean;
  enum?: string[];
  maxLength?: number;
  minLength?: number;
  required?: boolean;
  description?: string;
}
