package dev.confab.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The browser client is one page that routes by path; its deep links (an invite link {@code /m/<code>}, the
 * sign-in form, the home page) all answer with that page, which then shows the right screen.
 */
@WebServlet(urlPatterns = {"/m/*", "/signin", "/register", "/home"})
public class ClientPagesServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        response.setHeader("Cache-Control", "no-cache");
        request.getRequestDispatcher("/index.html").forward(request, response);
    }
}
