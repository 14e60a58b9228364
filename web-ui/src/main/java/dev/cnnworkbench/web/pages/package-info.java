/** What the dashboard's pages load besides their own files: the charting libraries' WebJars. */
package dev.cnnworkbench.web.pages;
