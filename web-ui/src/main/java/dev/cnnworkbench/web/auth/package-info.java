/**
 * Who is calling and what they may do: the host check, team mode's logins, browser sessions and personal tokens,
 * the login throttle, and the rule for changing runs.
 */
package dev.cnnworkbench.web.auth;
