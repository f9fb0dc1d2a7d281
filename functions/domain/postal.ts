/**
 * Working days a posted letter is given to arrive (second-class post: two to three days). A
 * letter about a date goes this long before it, to a resident who gets letters by post.
 */
export const POSTAL_WORKING_DAYS = 2;
